"""Locale formats Django does not ship: Kazakh (FORMAT_MODULE_PATH in settings).

Django has a Kazakh catalogue but no Kazakh format module, so Kazakh pages fell back to the American defaults
("07/23/2025", "2321"). Kazakh uses the day-month-year order and groups digits with a space, as Russian does.
"""
