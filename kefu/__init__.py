"""Kefu (客服): a bilingual support centre for B2B cross-border e-commerce."""
