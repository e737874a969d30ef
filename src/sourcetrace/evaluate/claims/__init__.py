"""Scoring claim links: pair decisions on MRPC-format files (``mrpc``) and links and
clusters against pairs judged by reading real news (``judged``)."""
