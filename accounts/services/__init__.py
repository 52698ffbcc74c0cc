"""Every write of the accounts domain. Views, admin and tasks call these; none of them writes models directly."""
