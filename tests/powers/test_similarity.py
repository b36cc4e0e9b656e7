"""TF-IDF over character n-grams: the text similarity the duplicate search rests on, in Russian and Kazakh."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esep.powers.similarity import (
    char_ngrams,
    content_words,
    cosine,
    normalise,
    shared_words,
    similarity_matrix,
)

LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
words = st.text(alphabet=LETTERS, min_size=3, max_size=12)
texts = st.lists(words, min_size=1, max_size=8).map(" ".join)


def test_normalise_keeps_kazakh_letters_and_drops_punctuation() -> None:
    assert normalise("Әкімдік: ЖОЛДАРДЫ (күтіп-ұстау)!  Ёлка") == "әкімдік жолдарды күтіп ұстау елка"


def test_level_words_and_common_verbs_are_dropped() -> None:
    assert content_words("Организует содержание дорог районного значения") == [
        "содержание",
        "дорог",
        "значения",
    ]
    assert content_words("Аудандық маңызы бар жолдарды ұйымдастырады") == ["маңызы", "бар", "жолдарды"]


def test_ngrams_are_taken_inside_padded_words() -> None:
    grams = char_ngrams("дорог")
    assert grams[" до"] == 1 and grams["рог "] == 1 and grams[" доро"] == 1
    assert not any(" " in gram.strip() for gram in grams)
    assert char_ngrams("жер")[" жер "] == 1  # a word shorter than the n-gram counts once, whole


def test_the_same_stem_with_other_endings_stays_similar() -> None:
    matrix = similarity_matrix(["ремонт дорог", "ремонтирует дороги", "выдаёт справки"])
    assert matrix[0][1] > 0.4 > matrix[0][2]


def test_shared_words_are_the_content_words_both_texts_use() -> None:
    assert shared_words("Организует уличное освещение в сёлах", "Уличное освещение района") == [
        "освещение",
        "уличное",
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=2, max_size=6))
def test_the_matrix_is_symmetric_bounded_and_one_on_the_diagonal(sample: list[str]) -> None:
    matrix = similarity_matrix(sample)
    for a, text in enumerate(sample):
        if content_words(text):
            assert matrix[a][a] == pytest.approx(1.0)
        for b in range(len(sample)):
            assert matrix[a][b] == pytest.approx(matrix[b][a])
            assert -1e-9 <= matrix[a][b] <= 1 + 1e-9


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_identical_texts_are_as_similar_as_texts_get(first: str, second: str) -> None:
    matrix = similarity_matrix([first, first, second])
    if content_words(first):
        assert matrix[0][1] == pytest.approx(1.0)
        assert matrix[0][2] <= matrix[0][1] + 1e-9


def test_empty_vectors_have_no_similarity() -> None:
    assert cosine({}, {"аб": 1.0}) == 0
    assert similarity_matrix(["и в на", "дороги"])[0][1] == 0
