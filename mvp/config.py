"""Default settings; instance/config.py, then MVP_* environment variables override them.

Every setting can be given as an environment variable with the prefix ``MVP_``
(``MVP_SUPPRESSION_MIN=5``); values are parsed as JSON where they can be, so numbers
and booleans need no quoting. ``MVP_DATABASE_URL`` sets the database.
"""

# The database; None means the SQLite file instance/mvp.sqlite.
DATABASE_URL = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Generated once into instance/secret_key when not given.
SECRET_KEY = None

# Session cookie: HttpOnly and SameSite=Lax always; Secure when served over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
# Strict-Transport-Security (HSTS), sent when the cookie is Secure or the request came over
# https: how long browsers keep to https only (one year).
HSTS_MAX_AGE = 365 * 24 * 3600
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = 8 * 3600
# A signed-in session ends after this many minutes without a request (0: never); a form posted
# after that is kept and comes back filled after the next sign-in.
IDLE_TIMEOUT_MINUTES = 120
# A form's CSRF token lives as long as the session (Flask-WTF's default is 60 minutes, which
# threw away a lesson typed during a 60-minute lesson).
WTF_CSRF_TIME_LIMIT = None

# Language: Swedish by default, English available.
BABEL_DEFAULT_LOCALE = "sv"
BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
LANGUAGES = {"sv": "Svenska", "en": "English"}

# Throttling of failed logins and pupils' submissions; memory:// for one process,
# redis://host:6379 when several app servers share the counters.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_ENABLED = True
RATELIMIT_HEADERS_ENABLED = False
LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
# Failed logins per address whatever the account (a school's pupils and staff share one).
LOGIN_ADDRESS_RATE_LIMIT = "30 per minute;300 per hour"

# The largest request, in MB (an uploaded import file above all); larger ones get a page
# saying the file is too large. Import files are read with row and column limits as well.
MAX_UPLOAD_MB = 10

# How many reverse proxies (load balancer, web server) stand in front of the app; their
# X-Forwarded-For/-Proto/-Host headers are trusted only then. 0: served directly.
PROXY_FIX = 0

# Built evaluations kept while the data has not changed (mvp.dashboard.cache): in Redis
# (redis://host:6379/0) when several app servers share them, else in each process.
CACHE_URL = ""
CACHE_SIZE = 32
CACHE_SECONDS = 24 * 3600

# Results based on fewer pupils than this are shown as "..".
SUPPRESSION_MIN = 10

# A trained MVP leader whose latest leader training or refresher is older than this many
# years is flagged for a refresher.
REFRESHER_YEARS = 3

# Staff training in gender mainstreaming (mvp.staff_training): a unit is ready for staff
# training when this share of its managers is trained ("chefer först"); a person is due a
# refresher this many years after their latest training; the yearly status suppresses
# counts of fewer people than this.
STAFF_TRAINING_MANAGERS_FIRST = 0.8
STAFF_TRAINING_REFRESHER_YEARS = 3
STAFF_TRAINING_SUPPRESSION_MIN = 5

# Who runs this installation (shown on the accessibility statement and in reports).
MUNICIPALITY_NAME = "Exempelkommun"
CONTACT_EMAIL = "mvp@exempelkommun.se"

# Lists are paged by this many rows.
PAGE_SIZE = 50

# Rollout: the recommended size of a school's team of trained MVP leaders. At least two
# trained leaders (one leader pair) is the minimum of the readiness checklist.
TEAM_SIZE_MIN = 6
TEAM_SIZE_MAX = 8

# Rollout: the grades MVP targets at each kind of school, used for "pupils reached" in the
# plan. Kinds left out keep these defaults; an empty list means MVP has no variant there.
TARGET_GRADES = {
    "F-3": [],
    "F-6": [5],
    "4-6": [5],
    "7-9": [8],
    "F-9": [8],
    "gymnasium": [10],
    "other": [],
}

# Pupils' online questionnaires. Failed code lookups allowed per address (guessing codes), and
# submissions per address and wave (a whole class answers from the school's one address).
PUPIL_CODE_RATE_LIMIT = "20 per minute"
PUPIL_SUBMIT_RATE_LIMIT = "120 per 10 minutes"
# The short address printed on classroom sheets, e.g. "https://mvp.kommun.se/e"; None: this site.
PUPIL_URL = None
# The address printed in the elected officials' letters (default: this site's /f).
OFFICIALS_URL = None
# The HMAC key of the pupils' linkage codes; None: generated once into instance/linkage_key.
# Several app servers must share it (as they share SECRET_KEY).
LINKAGE_KEY = None

# Pupils' linkage codes are erased this many months after the answer (scale scores and pairs
# already made stay): `flask privacy erase-expired-codes` or the administrators' button.
LINKAGE_RETENTION_MONTHS = 24

# Equality goals (mvp.goals): the municipality's code in Kolada (Norrtälje is 0188), the
# open API's address and how long a fetch waits for it.
KOLADA_MUNICIPALITY = "0188"
KOLADA_API = "https://api.kolada.se/v3"
KOLADA_TIMEOUT = 20
