package io.infercore.supervisor;

import io.infercore.catalog.GgufSource;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.support.FakeHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GGUF downloads against a local stand-in for the Hugging Face hub: resume, size and SHA-256 checks, progress. */
class HubDownloaderTest {

    static final byte[] FILE = new byte[3 * 1024 * 1024 + 123];
    static final String REPO = "TestOrg/Tiny-GGUF";

    static {
        new Random(42).nextBytes(FILE);
    }

    @TempDir
    Path dir;
    FakeHub hub;

    @BeforeEach
    void startHub() {
        hub = new FakeHub().file(REPO, "tiny.Q4_0.gguf", FILE).file(REPO, "sub/nested.gguf", FILE);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubDownloader downloader(String token) {
        return new HubDownloader(hub.url(), token, Duration.ofSeconds(5));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void should_download_check_the_sha256_and_report_byte_progress() throws Exception {
        List<long[]> progress = new CopyOnWriteArrayList<>();
        Path file = downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", sha256(FILE)), dir,
                (done, total) -> progress.add(new long[] {done, total}), () -> false);

        assertThat(file).isEqualTo(dir.resolve("tiny.Q4_0.gguf"));
        assertThat(Files.readAllBytes(file)).isEqualTo(FILE);
        assertThat(dir.resolve("tiny.Q4_0.gguf.part")).doesNotExist();
        assertThat(progress).hasSizeGreaterThan(3);
        assertThat(progress.get(progress.size() - 1)).containsExactly(FILE.length, FILE.length);
        assertThat(progress).extracting(p -> p[0]).isSorted();
    }

    @Test
    void should_resume_with_a_range_request_when_the_connection_drops() throws Exception {
        hub.cutAfter(1_000_000, 1);

        Path file = downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", sha256(FILE)), dir,
                (done, total) -> { }, () -> false);

        assertThat(Files.readAllBytes(file)).isEqualTo(FILE);
        assertThat(hub.requests()).hasSize(2);
        assertThat(hub.requests().get(0).range()).isNull();
        assertThat(hub.requests().get(1).range()).isEqualTo("bytes=1000000-");
    }

    @Test
    void should_resume_a_partial_file_left_by_an_earlier_start() throws Exception {
        Files.write(dir.resolve("tiny.Q4_0.gguf.part"), java.util.Arrays.copyOf(FILE, 2_000_000));

        Path file = downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", sha256(FILE)), dir,
                (done, total) -> { }, () -> false);

        assertThat(Files.readAllBytes(file)).isEqualTo(FILE);
        assertThat(hub.requests()).singleElement().extracting(FakeHub.Request::range).isEqualTo("bytes=2000000-");
    }

    @Test
    void should_delete_the_download_and_fail_when_the_sha256_differs() {
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", wrong), dir,
                (done, total) -> { }, () -> false))
                .isInstanceOf(InfercoreException.class)
                .hasMessageContaining("sha256 mismatch").hasMessageContaining("expected " + wrong)
                .satisfies(e -> assertThat(((InfercoreException) e).kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR));
        assertThat(dir.resolve("tiny.Q4_0.gguf")).doesNotExist();
        assertThat(dir.resolve("tiny.Q4_0.gguf.part")).doesNotExist();
    }

    @Test
    void should_keep_the_partial_file_when_the_hub_keeps_dropping_the_connection() {
        hub.cutAfter(500_000, 10);

        assertThatThrownBy(() -> downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", null), dir,
                (done, total) -> { }, () -> false))
                .hasMessageContaining("the next start resumes it");
        assertThat(dir.resolve("tiny.Q4_0.gguf.part")).exists();
        assertThat(hub.requests()).hasSize(3).extracting(FakeHub.Request::range)
                .containsExactly(null, "bytes=500000-", "bytes=1000000-");
    }

    @Test
    void should_send_hf_token_as_a_bearer_token_and_explain_a_refusal() throws Exception {
        hub.requireToken("hf_secret");

        assertThatThrownBy(() -> downloader(null).fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", null), dir,
                (done, total) -> { }, () -> false))
                .hasMessageContaining("HTTP 401").hasMessageContaining("hf_token")
                .isInstanceOfSatisfying(io.infercore.error.InfercoreException.class,
                        e -> assertThat(e.httpStatus()).as("not the service's own 401").isEqualTo(502));
        Path file = downloader("hf_secret").fetch(new GgufSource(REPO, "sub/nested.gguf", sha256(FILE)), dir,
                (done, total) -> { }, () -> false);

        assertThat(file.getFileName().toString()).isEqualTo("nested.gguf");
        assertThat(hub.requests().get(hub.requests().size() - 1).authorization()).isEqualTo("Bearer hf_secret");
    }

    @Test
    void should_follow_the_hubs_redirect_to_another_host_without_sending_the_token_there() throws Exception {
        try (FakeHub cdn = new FakeHub().file(REPO, "tiny.Q4_0.gguf", FILE)) {
            hub.requireToken("hf_secret");
            hub.redirect(REPO, "tiny.Q4_0.gguf", cdn.url() + "/" + REPO + "/resolve/main/tiny.Q4_0.gguf");

            Path file = downloader("hf_secret").fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", sha256(FILE)), dir,
                    (done, total) -> { }, () -> false);

            assertThat(Files.readAllBytes(file)).isEqualTo(FILE);
            assertThat(hub.requests()).singleElement().extracting(FakeHub.Request::authorization)
                    .isEqualTo("Bearer hf_secret");
            assertThat(cdn.requests()).singleElement().extracting(FakeHub.Request::authorization)
                    .as("the token stays with the hub's host").isNull();
        }
    }

    @Test
    void should_keep_the_token_on_a_redirect_within_the_hub() throws Exception {
        hub.requireToken("hf_secret");
        hub.redirect(REPO, "alias.gguf", "/" + REPO + "/resolve/main/tiny.Q4_0.gguf"); // relative, same host

        Path file = downloader("hf_secret").fetch(new GgufSource(REPO, "alias.gguf", sha256(FILE)), dir,
                (done, total) -> { }, () -> false);

        assertThat(Files.readAllBytes(file)).isEqualTo(FILE);
        assertThat(hub.requests()).extracting(FakeHub.Request::path, FakeHub.Request::authorization).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/" + REPO + "/resolve/main/alias.gguf", "Bearer hf_secret"),
                org.assertj.core.groups.Tuple.tuple("/" + REPO + "/resolve/main/tiny.Q4_0.gguf", "Bearer hf_secret"));
    }

    @Test
    void should_not_show_the_token_in_a_refusal() {
        hub.requireToken("hf_secret");

        assertThatThrownBy(() -> downloader("hf_wrong_token").fetch(new GgufSource(REPO, "tiny.Q4_0.gguf", null), dir,
                (done, total) -> { }, () -> false))
                .hasMessageContaining("HTTP 401").hasMessageNotContaining("hf_wrong_token");
    }

    @Test
    void should_answer_404_naming_repo_and_file_when_the_hub_lacks_it() {
        assertThatThrownBy(() -> downloader(null).fetch(new GgufSource(REPO, "nope.gguf", null), dir,
                (done, total) -> { }, () -> false))
                .isInstanceOf(InfercoreException.class)
                .hasMessageContaining("nope.gguf").hasMessageContaining(REPO)
                .satisfies(e -> assertThat(((InfercoreException) e).httpStatus()).isEqualTo(404));
    }
}
