"""The evaluation's sections, one module each: plain functions from explicit inputs to a part.

Each takes the loaded rows it needs (mvp.evaluation.data.RawData's parts), the selection's
frame (frame.Frame), settings such as min_n and language, and the results of the earlier
sections it builds on; it returns its part of the Evaluation and, where it suppresses, the
counts it protected (keys.Counted). mvp.evaluation.build threads them in order.
"""
