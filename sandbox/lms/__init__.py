"""The miniature LMS: a small, contract-faithful stand-in for the Open edX LMS that hosts the plugin."""
