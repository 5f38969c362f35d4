"""The example Kubernetes manifests (deploy/kubernetes/) and docs/deploy.md, checked
against what the app and its image actually do: the variables it reads, the user it
runs as, the port it listens on and the path Django serves its health check at."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import resolve

from backtp.core.env import env_bool, parse_database_url
from tests.core.test_docker import dockerfile_env, dockerfile_user

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

# Stable API versions only; a deprecated or misspelt one would be refused by the cluster.
API_VERSIONS = {
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "Deployment": "apps/v1",
    "Job": "batch/v1",
    "PodDisruptionBudget": "policy/v1",
    "Ingress": "networking.k8s.io/v1",
    "NetworkPolicy": "networking.k8s.io/v1",
}
# Without these a production deployment of several replicas fails or misbehaves:
# no start (SECRET_KEY), every request refused (ALLOWED_HOSTS), a database or cache
# per replica (DATABASE_URL, REDIS_URL), CSRF failures or a redirect loop behind the
# TLS-terminating load balancer (CSRF_TRUSTED_ORIGINS, BEHIND_PROXY), password-reset
# emails printed to a log nobody reads (SMTP_HOST; check --deploy fails without it).
REQUIRED_IN_PRODUCTION = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_PROXY",
    "SMTP_HOST",
}

_PY_READ = re.compile(
    r"""\benv_\w+\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.(?:environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)
_SH_READ = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")


def variables_the_app_reads() -> set[str]:
    """Every environment variable read by the app's code (settings, gunicorn config,
    healthcheck, any module) and by its container entrypoint, found by scanning them."""
    names: set[str] = set()
    for folder in (ROOT / "backtp", ROOT / "deploy"):
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                for match in _PY_READ.finditer(path.read_text()):
                    names.add(next(group for group in match.groups() if group))
        for path in folder.rglob("*.sh"):
            names.update(_SH_READ.findall(path.read_text()))
    return names


def _documents() -> list[tuple[Path, dict]]:
    documents = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document is not None:
                documents.append((path, document))
    return documents


def _one(kind: str, component: str = "web") -> dict:
    """The manifest of this kind; of two Deployments, the web or the worker one."""
    found = [d for _, d in _documents() if d["kind"] == kind]
    if len(found) > 1:
        found = [
            d for d in found if d["metadata"]["labels"]["app.kubernetes.io/component"] == component
        ]
    [document] = found
    return document


def _container(kind: str) -> dict:
    [container] = _one(kind)["spec"]["template"]["spec"]["containers"]
    return container


def _environment(kind: str) -> dict[str, str]:
    """What the container's process sees: the image's ENV, then envFrom, then env."""
    container = _container(kind)
    env = dict(dockerfile_env())
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            config = _one("ConfigMap")
            assert source["configMapRef"]["name"] == config["metadata"]["name"]
            env.update(config["data"])
        if "secretRef" in source:
            secret = _one("Secret")
            assert source["secretRef"]["name"] == secret["metadata"]["name"]
            env.update(secret.get("stringData", {}))
    env.update({item["name"]: item["value"] for item in container.get("env", [])})
    return env


def _container_port(container: dict, port: int | str) -> int:
    """A port number, or a named port resolved against the container's ports."""
    if isinstance(port, int):
        return port
    [number] = [p["containerPort"] for p in container["ports"] if p["name"] == port]
    return number


def test_the_scan_finds_the_variables_the_app_reads() -> None:
    names = variables_the_app_reads()
    # One from each place the scan looks: settings, gunicorn config, entrypoint, healthcheck.
    assert {"SECRET_KEY", "WEB_CONCURRENCY", "MIGRATE_ON_START", "PORT"} <= names
    assert names >= REQUIRED_IN_PRODUCTION


def test_every_manifest_is_a_known_kubernetes_object() -> None:
    documents = _documents()
    kinds = [document["kind"] for _, document in documents]
    assert sorted(set(kinds)) == sorted(API_VERSIONS), kinds
    assert kinds.count("Deployment") == 2  # web and worker
    for path, document in documents:
        assert API_VERSIONS[document["kind"]] == document["apiVersion"], path.name
        assert document["metadata"]["name"], path.name
        assert document["metadata"]["labels"]["app.kubernetes.io/name"] == "backtp", path.name


def test_the_service_pdb_ingress_and_network_policy_select_the_web_pods() -> None:
    deployment = _one("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    service = _one("Service")
    assert service["spec"]["selector"].items() <= pod_labels.items()
    pdb = _one("PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    # The migration Job's pods must not receive traffic.
    job_labels = _one("Job")["spec"]["template"]["metadata"]["labels"]
    assert not service["spec"]["selector"].items() <= job_labels.items()

    # Only the ingress controller reaches the pods, which BEHIND_PROXY=1 relies on.
    policy = _one("NetworkPolicy")["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= pod_labels.items()
    assert policy["policyTypes"] == ["Ingress"]
    [allowed] = policy["ingress"]
    [source] = allowed["from"]
    assert set(source) == {"namespaceSelector"}
    [port] = allowed["ports"]
    assert _container_port(_container("Deployment"), port["port"]) == int(
        _environment("Deployment")["PORT"]
    )

    [rule] = _one("Ingress")["spec"]["rules"]
    [path] = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] in {port["name"] for port in service["spec"]["ports"]}
    [tls] = _one("Ingress")["spec"]["tls"]
    assert rule["host"] in tls["hosts"]


def test_the_deployment_and_the_migration_job_run_the_same_pinned_image() -> None:
    image = _container("Deployment")["image"]
    assert _container("Job")["image"] == image
    assert ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_run_non_root_on_a_read_only_root_filesystem(kind: str) -> None:
    pod = _one(kind)["spec"]["template"]["spec"]
    container = _container(kind)
    effective = pod["securityContext"] | container["securityContext"]
    uid, gid = dockerfile_user()
    assert effective["runAsNonRoot"] is True
    assert (effective["runAsUser"], effective["runAsGroup"]) == (uid, gid) == (10001, 10001)
    assert effective["readOnlyRootFilesystem"] is True
    assert effective["allowPrivilegeEscalation"] is False
    assert effective["capabilities"]["drop"] == ["ALL"]
    assert "add" not in effective["capabilities"]
    assert effective["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    # The only writable place besides /dev/shm: /tmp, an emptyDir.
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    [tmp] = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
    assert "emptyDir" in volumes[tmp["name"]]
    assert all(
        m["mountPath"] != "/app" and not m["mountPath"].startswith("/app/")
        for m in container["volumeMounts"]
    )
    resources = container["resources"]
    assert {"cpu", "memory"} <= resources["requests"].keys()
    assert "memory" in resources["limits"]


def test_the_worker_pods_run_the_task_worker_and_the_scheduler_from_the_web_image() -> None:
    worker = _one("Deployment", "worker")
    web_image = _container("Deployment")["image"]
    containers = worker["spec"]["template"]["spec"]["containers"]
    assert sorted(c["args"] for c in containers) == [["scheduler"], ["worker"]]
    pod = worker["spec"]["template"]["spec"]
    for container in containers:
        assert container["image"] == web_image
        effective = pod["securityContext"] | container["securityContext"]
        assert (effective["runAsUser"], effective["readOnlyRootFilesystem"]) == (10001, True)
        assert effective["allowPrivilegeEscalation"] is False
        assert container["envFrom"] == _container("Deployment")["envFrom"]
    # Not behind the Service: no traffic comes to the worker.
    service = _one("Service")
    labels = worker["spec"]["template"]["metadata"]["labels"]
    assert not service["spec"]["selector"].items() <= labels.items()


def test_the_port_agrees_across_gunicorn_container_service_and_probes() -> None:
    container = _container("Deployment")
    port = int(_environment("Deployment")["PORT"])
    assert [p["containerPort"] for p in container["ports"]] == [port]
    [service_port] = _one("Service")["spec"]["ports"]
    assert _container_port(container, service_port["targetPort"]) == port
    for probe in ("readinessProbe", "livenessProbe"):
        assert _container_port(container, container[probe]["httpGet"]["port"]) == port


@pytest.mark.django_db
@pytest.mark.parametrize("probe", ["readinessProbe", "livenessProbe"])
def test_probes_ask_the_health_check_with_a_host_the_app_accepts(probe: str, settings) -> None:
    http_get = _container("Deployment")[probe]["httpGet"]
    match = resolve(http_get["path"])
    assert match.url_name == "healthz"
    headers = {h["name"]: h["value"] for h in http_get.get("httpHeaders", [])}
    # kubelet would otherwise send the pod's IP as Host, which ALLOWED_HOSTS refuses.
    allowed = _environment("Deployment")["ALLOWED_HOSTS"].split(",")
    assert headers["Host"] in allowed
    settings.ALLOWED_HOSTS = allowed
    response = Client().get(http_get["path"], headers={"host": headers["Host"]})
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_every_variable_in_the_manifests_is_one_the_app_reads() -> None:
    reads = variables_the_app_reads()
    set_names = set(_one("ConfigMap")["data"]) | set(_one("Secret")["stringData"])
    for kind in ("Deployment", "Job"):
        set_names |= {item["name"] for item in _container(kind).get("env", [])}
    assert set_names - reads == set(), "set in the manifests but never read by the app"


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_every_variable_production_requires_is_provided(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _environment(kind)
    assert env.keys() >= REQUIRED_IN_PRODUCTION, REQUIRED_IN_PRODUCTION - env.keys()
    # Read as the app reads them (settings.py's defaults: DEBUG on, BEHIND_PROXY off).
    for name in ("DEBUG", "BEHIND_PROXY"):
        monkeypatch.setenv(name, env[name])
    assert env_bool("DEBUG", True) is False
    assert env_bool("BEHIND_PROXY", False) is True
    # Several replicas share one managed PostgreSQL and one Redis, never a local file.
    database = parse_database_url("DATABASE_URL", env["DATABASE_URL"], ROOT)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["OPTIONS"].get("sslmode") == "require"
    assert re.match(r"rediss?://", env["REDIS_URL"])
    assert env["MIGRATE_ON_START"] == "0"


def test_the_example_secret_holds_only_marked_placeholders() -> None:
    paths = [path for path, d in _documents() if d["kind"] == "Secret"]
    assert [path.name for path in paths] == ["secret.example.yaml"]
    values = _one("Secret")["stringData"].values()
    assert all("CHANGE-ME" in value for value in values), values
    assert "SECRET_KEY" not in _one("ConfigMap")["data"]


def test_the_manifest_settings_pass_check_deploy() -> None:
    """Django's deployment checklist, run with exactly what the Deployment provides
    (a real random key in place of the placeholder)."""
    env = _environment("Deployment") | {"SECRET_KEY": secrets.token_urlsafe(50)}
    env |= {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "backtp.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_job_migrates_then_loads_the_catalogue_before_any_pod_would() -> None:
    job = _one("Job")
    container = _container("Job")
    # The image's entrypoint is kept; the command it runs does both steps, in order.
    assert "command" not in container
    script = " ".join(container["args"])
    assert re.search(
        r"manage\.py check --deploy\b.*&&.*manage\.py migrate\b.*&&.*manage\.py load_catalog",
        script,
    ), script
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    assert job["spec"]["backoffLimit"] >= 1


def test_rollouts_keep_capacity_and_let_requests_finish() -> None:
    deployment = _one("Deployment")
    assert deployment["spec"]["replicas"] >= 3
    strategy = deployment["spec"]["strategy"]
    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0
    pdb = _one("PodDisruptionBudget")
    assert pdb["spec"]["maxUnavailable"] < deployment["spec"]["replicas"]
    # SIGTERM arrives after preStop; gunicorn then drains for its graceful timeout.
    # Kubernetes kills whatever is left at the grace period, so it must be longer.
    pod = deployment["spec"]["template"]["spec"]
    pre_stop = _container("Deployment")["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    graceful = int(_environment("Deployment")["GUNICORN_GRACEFUL_TIMEOUT"])
    assert pod["terminationGracePeriodSeconds"] > int(pre_stop[1]) + graceful
    # Readiness gates traffic to a new pod; liveness does not restart pods over a
    # short database outage that readiness already handles.
    container = _container("Deployment")
    liveness, readiness = container["livenessProbe"], container["readinessProbe"]
    tolerated = liveness["periodSeconds"] * liveness["failureThreshold"]
    assert tolerated >= 120 > readiness["periodSeconds"] * readiness["failureThreshold"]


def _documented_variables() -> list[str]:
    """Names in the first column of docs/deploy.md's environment variable table."""
    text = DEPLOY_DOC.read_text()
    section = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names += re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell)
    return names


def test_the_deploy_guide_documents_every_variable_the_app_reads() -> None:
    documented = _documented_variables()
    assert len(documented) == len(set(documented)), "a variable is listed twice"
    reads = variables_the_app_reads()
    assert reads - set(documented) == set(), "read by the app but missing from docs/deploy.md"
    assert set(documented) - reads == set(), "documented but never read by the app"
