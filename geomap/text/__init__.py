"""Text processing: recognition (spaCy + gazetteer), filters, resolution and the parsing pipeline."""
