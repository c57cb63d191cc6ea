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
