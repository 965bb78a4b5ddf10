"""The rules of the follow policy in plain Python: no Flask, no SQLAlchemy, no clock.

Services, views, the API and the scheduled jobs call these and never re-implement them.
"""
