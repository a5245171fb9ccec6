package io.stratusmail.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.lmtp.LmtpConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code --lmtp-*} options of {@code serve} and {@code dev} become the LMTP service's settings. */
class LmtpOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        LmtpOptions lmtp;
    }

    private static LmtpConfig parse(String... args) {
        Probe probe = new Probe();
        CommandLine commandLine = new CommandLine(probe);
        commandLine.parseArgs(args);
        return probe.lmtp.apply(LmtpConfig.defaults("mx.example.test"), commandLine);
    }

    @Test
    void withoutOptionsTheDefaultsApply() {
        LmtpConfig defaults = LmtpConfig.defaults("mx.example.test");
        LmtpConfig parsed = parse();
        assertThat(parsed).usingRecursiveComparison().isEqualTo(defaults);
    }

    @Test
    void everyLimitTimeoutAndPolicyCanBeSet() {
        LmtpConfig c = parse("--lmtp-max-message-size=10M", "--lmtp-max-recipients=20",
                "--lmtp-max-connections=50", "--lmtp-max-command-line=2000", "--lmtp-max-data-line=4000",
                "--lmtp-command-timeout=90s", "--lmtp-data-timeout=2m", "--lmtp-store-timeout=PT0.5S",
                "--lmtp-line-endings=STRICT", "--lmtp-duplicate-window=0s", "--lmtp-subaddress-separator=-");
        assertThat(c.maxMessageSize()).isEqualTo(10 << 20);
        assertThat(c.maxRecipients()).isEqualTo(20);
        assertThat(c.maxConnections()).isEqualTo(50);
        assertThat(c.maxCommandLineLength()).isEqualTo(2000);
        assertThat(c.maxDataLineLength()).isEqualTo(4000);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.dataTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.storeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.lineEndings()).isEqualTo(LmtpConfig.LineEndings.STRICT);
        assertThat(c.duplicateWindow()).isZero();
        assertThat(c.detailSeparator()).isEqualTo("-");
        assertThat(c.hostname()).isEqualTo("mx.example.test");
    }

    @Test
    void noneDisablesSubaddressing() {
        assertThat(parse("--lmtp-subaddress-separator=none").detailSeparator()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheOptionsName() {
        assertThatThrownBy(() -> parse("--lmtp-max-recipients=0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("maxRecipients");
        assertThatThrownBy(() -> parse("--lmtp-max-command-line=100"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("512");
        assertThatThrownBy(() -> parse("--lmtp-line-endings=sloppy"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--lmtp-line-endings");
        assertThatThrownBy(() -> parse("--lmtp-max-message-size=3G"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--lmtp-max-message-size");
        assertThatThrownBy(() -> parse("--lmtp-store-timeout=0s"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("storeTimeout");
        assertThatThrownBy(() -> parse("--lmtp-subaddress-separator=a b"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("detailSeparator");
    }
}
