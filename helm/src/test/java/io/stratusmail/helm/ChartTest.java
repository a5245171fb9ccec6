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
    void aTlsSecretAddsImplicitTlsAndMountsTheCertificate() {
        String plain = new Helm(CHART).template().withName("mail").call();
        assertThat(plain).doesNotContain("STRATUS_TLS_CERT", "imaps");
        String tls = new Helm(CHART).template().withName("mail").set("imap.tls.secretName", "mail-cert").call();
        assertThat(tls).contains("secretName: mail-cert", "value: /etc/stratus/tls/tls.crt",
                "value: /etc/stratus/tls/tls.key", "name: imaps", "containerPort: 993", "port: 993");
    }
}
