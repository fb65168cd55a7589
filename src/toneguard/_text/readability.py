"""Flesch reading ease and Flesch-Kincaid grade: the formulas textstat implements."""

from __future__ import annotations


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words), 2)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    return round(0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59, 2)
