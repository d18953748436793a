"""Document writers (docx/pdf). Pure functions of read models; no Textual import."""
