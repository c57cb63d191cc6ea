package io.infercore.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a schema validator cannot see (deploy/validate.sh checks the schemas): the manifests agree
 * with the service and with each other, and the systemd unit leaves time for the drain.
 */
class DeployManifestsTest {

    /** quarkus.shutdown.timeout (30 s) plus supervisor.stop_grace (15 s). */
    static final int DRAIN_AND_STOP_SECONDS = 45;

    final JsonNode pod = Manifests.get("DaemonSet", "infercore").path("spec").path("template").path("spec");
    final JsonNode container = pod.path("containers").get(0);

    @Test
    void should_probe_the_health_endpoints_on_the_port_the_service_binds() {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).containsSequence("--host", "0.0.0.0");
        String port = args.get(args.indexOf("--port") + 1);
        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        for (String service : List.of("infercore", "infercore-nodes")) {
            JsonNode spec = Manifests.get("Service", service).path("spec");
            assertThat(spec.path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
            assertThat(spec.path("selector"))
                    .isEqualTo(Manifests.get("DaemonSet", "infercore").path("spec").path("selector").path("matchLabels"));
        }
    }

    @Test
    void should_leave_time_to_drain_streams_and_stop_engines() {
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(DRAIN_AND_STOP_SECONDS);
    }

    @Test
    void should_read_config_json_and_models_json_from_the_mounted_config_map() {
        String mount = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if ("config".equals(m.path("name").asText())) {
                mount = m.path("mountPath").asText();
            }
        }
        JsonNode configMap = Manifests.get("ConfigMap", "infercore-config").path("data");
        for (String key : List.of("CONFIG_PATH", "MODELS_CONFIG")) {
            String value = env(key).path("value").asText();
            assertThat(value).as(key).startsWith(mount + "/");
            assertThat(configMap.has(value.substring(mount.length() + 1))).as(key + " names a key of the ConfigMap").isTrue();
        }
    }

    @Test
    void should_take_every_secret_from_a_key_of_the_secret() {
        JsonNode secret = Manifests.get("Secret", "infercore-secrets");
        Set<String> keys = Set.copyOf(iterable(secret.path("stringData").fieldNames()));
        List<String> referenced = new ArrayList<>();
        for (JsonNode e : container.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertThat(ref.path("name").asText()).isEqualTo("infercore-secrets");
                referenced.add(ref.path("key").asText());
            }
        }
        assertThat(referenced).contains("HF_TOKEN").allMatch(keys::contains);
        assertThat(env("HF_TOKEN").path("valueFrom").isMissingNode()).isFalse();
    }

    @Test
    void should_stop_the_systemd_unit_with_sigterm_after_the_drain() throws Exception {
        String unit = Files.readString(Path.of("deploy/systemd/infercore.service"));
        assertThat(unit).contains("\nKillSignal=SIGTERM\n").contains("\nRestart=on-failure\n")
                .contains("\nEnvironmentFile=").contains("\nWorkingDirectory=").containsPattern("\nType=(simple|exec)\n");
        Matcher stop = Pattern.compile("\nTimeoutStopSec=(\\d+)\n").matcher(unit);
        assertThat(stop.find()).isTrue();
        assertThat(Integer.parseInt(stop.group(1))).isGreaterThan(DRAIN_AND_STOP_SECONDS);
    }

    // ---- the stateless gateway mode: deploy/k8s/gateway (supervisor.backend=kubernetes) ----

    final JsonNode gateway = Manifests.get(Manifests.GATEWAY_DIR, "Deployment", "infercore-gateway");
    final JsonNode gatewayPod = gateway.path("spec").path("template").path("spec");

    @Test
    void should_run_the_gateway_as_a_stateless_deployment_of_two_replicas_without_gpus_or_host_paths() {
        assertThat(gateway.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode c = gatewayPod.path("containers").get(0);
        assertThat(c.path("resources").toString()).doesNotContain("nvidia.com/gpu");
        assertThat(gatewayPod.path("volumes").toString()).doesNotContain("hostPath").doesNotContain("persistentVolumeClaim");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        // quarkus.shutdown.timeout (30 s) drains; the runs are left to the cluster, so no stop_grace to add.
        assertThat(gatewayPod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(30);
        JsonNode service = Manifests.get(Manifests.GATEWAY_DIR, "Service", "infercore-gateway").path("spec");
        assertThat(service.path("selector")).isEqualTo(gateway.path("spec").path("selector").path("matchLabels"));
        assertThat(gateway.path("spec").path("template").path("metadata").path("labels").toString())
                .as("the per-node mode's selectors must not take the gateway's Pods for theirs")
                .contains("infercore-gateway");
    }

    @Test
    void should_bind_the_gateway_to_a_role_limited_to_its_namespace_deployments_pods_and_logs() {
        String namespace = gateway.path("metadata").path("namespace").asText();
        String account = gatewayPod.path("serviceAccountName").asText();
        assertThat(gatewayPod.path("automountServiceAccountToken").asBoolean()).isTrue();
        assertThat(Manifests.get(Manifests.GATEWAY_DIR, "ServiceAccount", account).path("metadata").path("namespace")
                .asText()).isEqualTo(namespace);
        JsonNode binding = Manifests.get(Manifests.GATEWAY_DIR, "RoleBinding", "infercore-gateway");
        assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(account);
        assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo(namespace);
        JsonNode role = Manifests.get(Manifests.GATEWAY_DIR, "Role", binding.path("roleRef").path("name").asText());
        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(namespace);
        assertThat(Manifests.all(Manifests.GATEWAY_DIR)).noneMatch(d -> d.path("kind").asText().startsWith("Cluster"));
        java.util.Map<String, List<String>> granted = new java.util.TreeMap<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode resource : rule.path("resources")) {
                List<String> verbs = new ArrayList<>();
                rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                granted.put(rule.path("apiGroups").get(0).asText() + "/" + resource.asText(), verbs);
            }
        }
        // Exactly what KubernetesDriver uses: create/delete/watch Deployments, watch Pods, read Pod logs.
        assertThat(granted).containsOnly(
                java.util.Map.entry("apps/deployments", List.of("get", "list", "watch", "create", "delete")),
                java.util.Map.entry("/pods", List.of("get", "list", "watch")),
                java.util.Map.entry("/pods/log", List.of("get")));
    }

    @Test
    void should_point_the_kubernetes_backend_at_the_models_claim_and_secret_the_manifests_define() throws Exception {
        JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Manifests.get(Manifests.GATEWAY_DIR, "ConfigMap", "infercore-gateway-config").path("data")
                        .path("config.json").asText());
        JsonNode supervisor = config.path("supervisor");
        assertThat(supervisor.path("backend").asText()).isEqualTo("kubernetes");
        JsonNode k8s = supervisor.path("kubernetes");
        assertThat(Manifests.get(Manifests.GATEWAY_DIR, "PersistentVolumeClaim", k8s.path("models_claim").asText())
                .path("spec").path("accessModes").toString()).contains("ReadWriteMany");
        JsonNode secret = Manifests.get("Secret", k8s.path("secret_name").asText());
        assertThat(secret.path("stringData").has("HF_TOKEN")).isTrue();
        assertThat(secret.path("metadata").path("namespace").asText())
                .isEqualTo(gateway.path("metadata").path("namespace").asText());
        String mount = null;
        for (JsonNode m : gatewayPod.path("containers").get(0).path("volumeMounts")) {
            if ("config".equals(m.path("name").asText())) {
                mount = m.path("mountPath").asText();
            }
        }
        for (JsonNode e : gatewayPod.path("containers").get(0).path("env")) {
            if (e.path("name").asText().equals("CONFIG_PATH")) {
                assertThat(e.path("value").asText()).isEqualTo(mount + "/config.json");
            }
        }
    }

    private JsonNode env(String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("the container sets no " + name);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
