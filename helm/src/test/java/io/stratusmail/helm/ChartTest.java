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
}
