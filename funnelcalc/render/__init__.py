"""Renderers: one module per output family (table, markdown, csv, html, svg, png), each laying
out ANY report (funnelcalc.report) and knowing no capability. `json_format` writes the views'
JSON documents; `github_format` writes check's GitHub Actions annotations."""
