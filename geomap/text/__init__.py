"""Text processing: the model, sentences, recognition and resolution, and their weights.

The pipeline that runs them (and claims) is :mod:`geomap.pipeline`.
"""
