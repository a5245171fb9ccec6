package io.stratusmail.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Lints and renders the chart offline, as {@code helm lint} and {@code helm template} would. */
class ChartTest {

    private static final Path CHART = Path.of("stratus");

    @Test
    void chartLintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void rendersImapAndLmtpDeploymentsPointingAtCassandraAndOpenSearch() {
        String manifests = new Helm(CHART).template().withName("mail")
                .set("cassandra.contactPoints", "cass-0:9042")
                .set("imap.replicas", "3")
                .call();
        assertThat(manifests)
                .contains("name: mail-stratus-imap", "name: mail-stratus-lmtp")
                .contains("replicas: 3")
                .contains("value: \"cass-0:9042\"")
                .contains("--services=imap", "--services=lmtp");
    }

    @Test
    void everyContainerGetsTheProductionReplicationAndConsistency() {
        String manifests = new Helm(CHART).template().withName("mail")
                .set("cassandra.replication", "NetworkTopologyStrategy:eu-west=5")
                .call();
        assertThat(manifests.split("value: \"NetworkTopologyStrategy:eu-west=5\"", -1))
                .as("imap, lmtp, schema job, gc and verify jobs").hasSize(6);
        assertThat(manifests).contains("name: STRATUS_CONSISTENCY", "value: \"LOCAL_QUORUM\"",
                "value: \"LOCAL_SERIAL\"");
    }

    @Test
    void rendersASchemaJobPerRevisionAndTheMaintenanceCronJobs() {
        String manifests = new Helm(CHART).template().withName("mail").call();
        assertThat(manifests)
                .contains("kind: Job", "name: mail-stratus-schema-1", "args: [\"schema\",\"migrate\"]")
                .contains("kind: CronJob", "name: mail-stratus-gc", "args: [\"gc\"]",
                        "name: mail-stratus-verify", "args: [\"verify\"]");
        String withoutMaintenance = new Helm(CHART).template().withName("mail")
                .set("maintenance.gc.enabled", "false")
                .set("maintenance.verify.enabled", "false")
                .call();
        assertThat(withoutMaintenance).doesNotContain("kind: CronJob").contains("name: mail-stratus-schema-1");
    }

    @Test
    void lmtpLimitsAndPoliciesArePassedToTheLmtpPods() {
        String defaults = new Helm(CHART).template().withName("mail").call();
        assertThat(defaults).contains("\"--lmtp-max-message-size=64M\"", "\"--lmtp-max-recipients=100\"",
                "\"--lmtp-max-connections=500\"", "\"--lmtp-max-data-line=65536\"",
                "\"--lmtp-store-timeout=1m\"", "\"--lmtp-duplicate-window=24h\"",
                "\"--lmtp-subaddress-separator=+\"");
        String tuned = new Helm(CHART).template().withName("mail")
                .set("lmtp.maxRecipients", "20")
                .set("lmtp.dataTimeout", "90s")
                .set("lmtp.lineEndings", "strict")
                .set("lmtp.subaddressSeparator", "-")
                .call();
        assertThat(tuned).contains("\"--lmtp-max-recipients=20\"", "\"--lmtp-data-timeout=90s\"",
                "\"--lmtp-line-endings=strict\"", "\"--lmtp-subaddress-separator=-\"");
    }

    @Test
    void aTlsSecretAddsImplicitTlsAndMountsTheCertificate() {
        String plain = new Helm(CHART).template().withName("mail").call();
        assertThat(plain).doesNotContain("STRATUS_TLS_CERT", "imaps");
        String tls = new Helm(CHART).template().withName("mail").set("imap.tls.secretName", "mail-cert").call();
        assertThat(tls).contains("secretName: mail-cert", "value: /etc/stratus/tls/tls.crt",
                "value: /etc/stratus/tls/tls.key", "name: imaps", "containerPort: 993", "port: 993");
    }

    @Test
    void hintsGiveImapAndLmtpPodsTheirPodIpAndAUdpPortAndCanBeTurnedOff() {
        String manifests = new Helm(CHART).template().withName("mail").set("hints.port", "7200")
                .set("hints.idlePollSeconds", "30").call();
        assertThat(manifests.split("name: STRATUS_HINT_PORT", -1)).as("imap and lmtp").hasSize(3);
        assertThat(manifests.split("fieldPath: status.podIP", -1)).as("imap and lmtp").hasSize(3);
        assertThat(manifests).contains("value: \"7200\"", "containerPort: 7200", "protocol: UDP",
                "name: STRATUS_IMAP_IDLE_POLL_SECONDS", "value: \"30\"");
        String off = new Helm(CHART).template().withName("mail").set("hints.port", "0").call();
        assertThat(off).doesNotContain("STRATUS_HINT_PORT", "status.podIP", "protocol: UDP");
    }
}
