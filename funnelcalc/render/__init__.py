"""Renderers: one module per output family (table, markdown, csv, html, svg, png, pptx), each
laying out ANY report (funnelcalc.report) and knowing no capability; `xlsx_format` writes any
workbook (funnelcalc.workbook). `json_format` writes the views' JSON documents and
`github_format` any list of CI annotations."""
