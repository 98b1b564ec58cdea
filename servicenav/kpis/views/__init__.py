"""Views of key performance indicators: the staff pages (`staff`) and entering or
importing figures measured elsewhere (`manual`)."""
