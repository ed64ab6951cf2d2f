"""Results sent back to the trainees who gave them (issue 20): figures, message, page, send."""
