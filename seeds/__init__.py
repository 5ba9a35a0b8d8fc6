"""The seed documents and the reference tables, installed as package data `ofsted_kg.seeds`.

This file makes the folder a regular package so that importlib.resources finds it the same
way in a checkout (editable install) and in an installed wheel: graph/tables.py reads it.
"""
