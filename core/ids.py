"""Id formats shared by every family and the domain: uuids in paths and jids (tada uids, courier ids, team uids)."""

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
