"""rehabteam: meetings, assessments and recommendations for Danish rehabilitation teams."""

__version__ = "0.1.0"
