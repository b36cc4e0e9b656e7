"""Text similarity of powers that works for Russian and Kazakh alike: TF-IDF over character n-grams.

Character n-grams (3 to 5 letters, taken inside each word padded with spaces) match the same stem under
different endings, which both languages produce in plenty ("дорог", "дорогами"; "жол", "жолдарын"), with no
stemmer or dictionary. Words that name the level or the territory ("района", "сельского округа", "облыс",
"ауылдық") and verbs every power starts with ("организует", "ұйымдастырады") are dropped first: two powers of
different levels that do the same thing differ mainly in those words, so keeping them hides duplicates.
Pure Python: a catalogue of a few hundred powers gives tens of thousands of pairs, computed in under a second.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

NGRAM_SIZES = (3, 4, 5)
# A word is dropped when it starts with one of these stems (after lower case and ё -> е).
STOP_STEMS: tuple[str, ...] = (
    # Russian: levels and territory
    "район",
    "област",
    "сельск",
    "округ",
    "села",
    "сел",
    "селе",
    "поселк",
    "населен",
    "пункт",
    "территори",
    "город",
    "местн",
    "республик",
    # Russian: verbs and words every power uses
    "организ",
    "обеспечив",
    "осуществля",
    "содейств",
    "участв",
    "пределах",
    "своей",
    "компетенц",
    "том",
    "числе",
    "также",
    "иных",
    "других",
    # Kazakh: levels and territory
    "аудан",
    "облыс",
    "ауыл",
    "кент",
    "елді",
    "мекен",
    "аумақ",
    "аумағ",
    "қала",
    "жергілікті",
    "республика",
    # Kazakh: verbs and words every power uses
    "ұйымдастыр",
    "қамтамасыз",
    "жүзеге",
    "асыр",
    "жәрдемдес",
    "қатысад",
    "құзырет",
    "шегінде",
    "оның",
    "ішінде",
    "және",
    "етеді",
    "береді",
)
MIN_WORD_LENGTH = 3
_NOT_A_LETTER = re.compile(r"[^0-9a-zа-яәғқңөұүһіё]+")


def normalise(text: str) -> str:
    """Lower case, ё -> е, anything but Latin, Cyrillic and Kazakh letters or digits -> one space."""
    return " ".join(_NOT_A_LETTER.sub(" ", text.lower()).split()).replace("ё", "е")


def content_words(text: str) -> list[str]:
    return [
        word
        for word in normalise(text).split()
        if len(word) >= MIN_WORD_LENGTH and not word.startswith(STOP_STEMS)
    ]


def char_ngrams(text: str, sizes: Sequence[int] = NGRAM_SIZES) -> Counter[str]:
    """The n-grams of each content word padded with spaces; a word shorter than n counts once whole."""
    grams: Counter[str] = Counter()
    for word in content_words(text):
        padded = f" {word} "
        for size in sizes:
            if len(padded) <= size:
                grams[padded] += 1
                continue
            for start in range(len(padded) - size + 1):
                grams[padded[start : start + size]] += 1
    return grams


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """One L2-normalised vector per text: sublinear term frequency times smoothed inverse document
    frequency, idf = ln((1 + N) / (1 + df)) + 1, so a gram in every text still weighs a little."""
    counts = [char_ngrams(text) for text in texts]
    document_frequency: Counter[str] = Counter()
    for grams in counts:
        document_frequency.update(grams.keys())
    total = len(texts)
    idf = {gram: math.log((1 + total) / (1 + df)) + 1 for gram, df in document_frequency.items()}
    vectors = []
    for grams in counts:
        weights = {gram: (1 + math.log(count)) * idf[gram] for gram, count in grams.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        vectors.append({gram: weight / norm for gram, weight in weights.items()} if norm else {})
    return vectors


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors (0 when either is empty)."""
    if len(first) > len(second):
        first, second = second, first
    return sum(weight * second.get(gram, 0.0) for gram, weight in first.items())


def similarity_matrix(texts: Sequence[str]) -> list[list[float]]:
    """Cosine similarity of every pair of texts (a symmetric matrix with 1.0 on the diagonal for non-empty
    texts); the inverted index keeps the work proportional to the grams texts share."""
    vectors = tfidf_vectors(texts)
    postings: dict[str, list[tuple[int, float]]] = {}
    for index, vector in enumerate(vectors):
        for gram, weight in vector.items():
            postings.setdefault(gram, []).append((index, weight))
    size = len(texts)
    matrix = [[0.0] * size for _ in range(size)]
    for entries in postings.values():
        for position, (first, first_weight) in enumerate(entries):
            row = matrix[first]
            for second, second_weight in entries[position:]:
                row[second] += first_weight * second_weight
    for first in range(size):
        for second in range(first + 1, size):
            matrix[second][first] = matrix[first][second]
    return matrix


def shared_words(first: str, second: str) -> list[str]:
    """Content words the two texts share (exactly, after normalisation): a readable hint next to a score."""
    seen = set(content_words(second))
    return sorted({word for word in content_words(first) if word in seen})


def top_pairs(matrix: list[list[float]], allowed: Iterable[tuple[int, int]]) -> list[tuple[int, int, float]]:
    return sorted(((a, b, matrix[a][b]) for a, b in allowed), key=lambda pair: -pair[2])
