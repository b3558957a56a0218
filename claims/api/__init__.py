"""The JSON API, version 1 (`/api/v1/`): Django REST framework views over the domain's rules
(claims/public.py for what anonymous callers see, claims/publishing.py for status moves)."""
