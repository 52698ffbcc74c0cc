"""Demo data for `POST /team/demo_data/apply` and `DELETE /team/demo_data/reset` (spec tommy-2)."""
