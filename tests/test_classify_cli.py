import json
import subprocess
import sys


def test_classify_jsonl_roundtrip(tmp_path):
    lines = [
        {"id": "a", "sentence": "Government troops shelled rebel positions near the border town on Monday.",
         "source": "Government troops", "target": "rebel positions"},
        {"id": "b", "sentence": "The two countries signed an agreement to expand trade.",
         "marked_sentence": "<s>The two countries</s> signed <t>an agreement</t> to expand trade.",
         "source": "The two countries", "target": "an agreement"},
    ]
    f = tmp_path / "pairs.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n")
    p = subprocess.run([sys.executable, "-m", "dyads.cli", "classify", "--jsonl", str(f)], capture_output=True)
    assert b"Traceback" not in p.stderr
    out = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "line-3"]
    assert out[0]["type"] == "ASSAULT"
    assert all(0.0 <= o["confidence"] <= 1.0 for o in out[:2])
    assert "error" in out[2]
    assert p.returncode == 1  # one bad line
