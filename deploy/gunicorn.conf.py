"""gunicorn settings for the container, every one from an environment variable.

Used by the Docker image (`gunicorn --config deploy/gunicorn.conf.py backtp.wsgi`);
docs/deploy.md lists the variables. Values are parsed as strictly as the Django
settings: a typo stops start-up with an error naming the variable. Nothing here
writes to the filesystem, so the image runs with a read-only root filesystem.
"""

from backtp.core.env import env_bool, env_int, env_str

bind = [f"0.0.0.0:{env_int('PORT', 8000)}"]

# Sync workers by default; with GUNICORN_THREADS > 1 gunicorn switches to gthread.
workers = env_int("WEB_CONCURRENCY", 3)
threads = env_int("GUNICORN_THREADS", 1)
# A request running longer than this is killed (its worker restarted).
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a rolling update, a scale-down) in-flight requests get this long to
# finish; keep the pod's terminationGracePeriodSeconds longer.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Idle keep-alive seconds (gthread only); behind a load balancer, longer than its
# idle timeout towards the backends avoids a race that shows up as a 502.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle each worker after this many requests (plus up to 10 % jitter); 0 = never, the
# default. A new worker boots Django and refills its in-memory caches, and the requests
# queued meanwhile wait: with 1000, a sustained load had every worker restart every few
# seconds and a p99 of about a second (make bench); nothing in backtp is known to leak.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max(max_requests // 10, 0)

# Heartbeat files in memory, not on the (read-only) image filesystem.
worker_tmp_dir = "/dev/shm"
# No control socket: it would be created under $HOME, and nothing uses gunicornc here.
control_socket_disable = True

# Addresses whose X-Forwarded-* headers gunicorn trusts (load balancers); "*" when the
# pods are reachable only through the load balancer, as in deploy/kubernetes/.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr for the platform to collect. The access log names the client
# from X-Forwarded-For (the load balancer's address alone says nothing) and the time taken.
accesslog = "-" if env_bool("ACCESS_LOG", True) else None
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
