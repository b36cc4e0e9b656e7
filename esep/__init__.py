"""Esep: an open platform for Kazakhstan's directly elected rural akims and their residents."""
