"""dyads: sourced political event data from English news articles.

>>> import dyads
>>> result = dyads.extract(text, published="2024-06-18")
>>> result.to_dict()["actors"]
>>> with dyads.Corpus("corpus.db") as corpus:       # a store made by `dyads ingest`
...     df = corpus.events(actor="RUS").to_pandas()  # pip install 'dyads[pandas]'
"""
from .corpus import ActorEvents, Corpus, DyadPeriod, Records
from .errors import (BinaryInputError, ConfigError, DyadsError, EmptyInputError, InputError,
                     InputTooLargeError, ModelError, NotEnglishError, StoreError)
from .pipeline import extract
from .records import Actor, Article, ArticleResult, Event, Mention, Place, Quote, Removed, Sentence, Span

__version__ = "0.1.0"
__all__ = [
    "extract", "ArticleResult", "Article", "Actor", "Event", "Quote", "Place", "Span", "Mention",
    "Removed", "Sentence", "DyadsError", "InputError", "EmptyInputError", "BinaryInputError",
    "InputTooLargeError", "NotEnglishError", "ConfigError", "ModelError", "StoreError",
    "Corpus", "Records", "DyadPeriod", "ActorEvents",
]
