package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratusmail.mailbox.user.Username;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * imapflow (Node.js, {@code clients/imapflow_client.cjs}) against a node on real Cassandra: a CONDSTORE/QRESYNC
 * resynchronisation after flag changes and expunges made by another client (Angus Mail), both by
 * {@code SELECT ... (QRESYNC ...)} and by {@code UID FETCH ... (CHANGEDSINCE ... VANISHED)} (RFC 7162 sections
 * 3.2.5-3.2.6), and IDLE (RFC 2177) woken by an LMTP delivery, in a session authenticated with SASL LOGIN
 * ({@code AUTH=LOGIN}). imapflow comes from
 * {@code clients/install.sh} (into {@code ~/.cache/stratus/node}, or {@code STRATUS_NODE_CACHE}).
 */
class ImapflowClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void qresyncReportsTheFlagChangesAndVanishedUidsOfAnotherClient() throws Exception {
        Username user = TestNode.newUser("imapflow");
        deliver(user, 6);
        JsonNode before = imapflow(user, "snapshot");
        assertThat(strings(before.get("enabled"))).contains("CONDSTORE", "QRESYNC");
        assertThat(ints(before.get("uids"))).containsExactly(1, 2, 3, 4, 5, 6);

        // another client: \Flagged on UID 2, \Seen on UID 3, UIDs 4 and 5 expunged
        try (Store store = Clients.angus(TestNode.shared().imapAddress(), user.value(), TestNode.password(user))) {
            IMAPFolder inbox = (IMAPFolder) Clients.openInbox(store, Folder.READ_WRITE);
            inbox.getMessageByUID(2).setFlag(Flags.Flag.FLAGGED, true);
            inbox.getMessageByUID(3).setFlag(Flags.Flag.SEEN, true);
            inbox.getMessageByUID(4).setFlag(Flags.Flag.DELETED, true);
            inbox.getMessageByUID(5).setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        }

        JsonNode after = imapflow(user, "resync", before.get("uidValidity").asText(),
                before.get("highestModseq").asText());
        JsonNode select = after.get("select");
        assertThat(select.get("qresync").asBoolean()).as("imapflow accepted the QRESYNC SELECT").isTrue();
        assertThat(sorted(ints(select.get("vanished")))).as("VANISHED (EARLIER) in SELECT").containsExactly(4, 5);
        assertThat(fieldNames(select.get("flags"))).as("FETCH FLAGS in SELECT").containsExactlyInAnyOrder("2", "3");
        assertThat(strings(select.get("flags").get("2"))).contains("\\Flagged").doesNotContain("\\Seen");
        assertThat(strings(select.get("flags").get("3"))).contains("\\Seen").doesNotContain("\\Flagged");

        JsonNode fetch = after.get("fetch");
        assertThat(sorted(ints(fetch.get("vanished")))).as("VANISHED (EARLIER) in UID FETCH").containsExactly(4, 5);
        assertThat(fieldNames(fetch.get("flags"))).as("UID FETCH CHANGEDSINCE").containsExactlyInAnyOrder("2", "3");
        assertThat(Long.parseLong(after.get("highestModseq").asText()))
                .isGreaterThan(Long.parseLong(before.get("highestModseq").asText()));
    }

    @Test
    void idleIsWokenByAnLmtpDeliveryAfterSaslLogin() throws Exception {
        Username user = TestNode.newUser("imapflow-idle");
        deliver(user, 1);
        ExternalClient.Running idle = ExternalClient.start(work, "imapflow-idle", Map.of(), command(user, "idle"));
        try {
            idle.awaitLine("IDLE accepted", Duration.ofSeconds(60));
            deliver(user, 1);
            JsonNode woken = result(idle.finish(Duration.ofSeconds(60)));
            assertThat(woken.get("before").asInt()).isEqualTo(1);
            assertThat(woken.get("exists").asInt()).as("EXISTS during IDLE").isEqualTo(2);
        } finally {
            idle.process().destroyForcibly();
        }
    }

    private void deliver(Username user, int count) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(("From: sender@example.org\r\nTo: " + user.value() + "\r\nSubject: imapflow " + i
                    + "\r\nMessage-ID: <" + System.nanoTime() + "@imapflow.example.test>\r\n\r\nbody " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        Path plan = Clients.plan(work, messages, Collections.nCopies(count, List.of(user.value())));
        Clients.deliver(work, TestNode.shared().lmtpAddress(), plan);
    }

    private List<String> command(Username user, String... modeAndArgs) {
        Path node = ExternalClient.require("node", "nodejs");
        Path cache = Path.of(System.getenv().getOrDefault("STRATUS_NODE_CACHE",
                System.getProperty("user.home") + "/.cache/stratus/node"));
        Path modules = cache.resolve("node_modules");
        assertThat(modules.resolve("imapflow/package.json"))
                .as("imapflow is not installed in %s: %s", cache, ExternalClient.INSTALL_HINT).isRegularFile();
        Path script = ExternalClient.resource(work, "imapflow_client.cjs");
        List<String> cmd = new ArrayList<>(List.of(node.toString(), script.toString(), modules.toString(),
                "127.0.0.1", Integer.toString(TestNode.shared().imapAddress().getPort()), user.value(),
                new String(TestNode.password(user))));
        cmd.addAll(List.of(modeAndArgs));
        return cmd;
    }

    private JsonNode imapflow(Username user, String... modeAndArgs) throws Exception {
        return result(ExternalClient.run(work, "imapflow-" + modeAndArgs[0], Duration.ofMinutes(2), Map.of(),
                command(user, modeAndArgs)));
    }

    private static JsonNode result(List<String> output) throws Exception {
        List<String> results = output.stream().filter(l -> l.startsWith("result ")).toList();
        assertThat(results).as("one result line in %s", output).hasSize(1);
        return JSON.readTree(results.get(0).substring("result ".length()));
    }

    private static List<Integer> ints(JsonNode array) {
        return IntStream.range(0, array.size()).mapToObj(i -> array.get(i).asInt()).toList();
    }

    private static List<Integer> sorted(List<Integer> values) {
        return values.stream().sorted().toList();
    }

    private static List<String> strings(JsonNode array) {
        return IntStream.range(0, array.size()).mapToObj(i -> array.get(i).asText()).toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
