package io.stratusmail.server.node.hints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.event.MailboxChange;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hint datagram: exact round trip, and anything that is not exactly a version-1 hint is rejected. */
class HintCodecTest {

    private final MailboxChange change = new MailboxChange(MailboxId.random(), 123_456_789_012L);

    @Test
    void roundTripsEveryField() {
        byte[] datagram = HintCodec.encode(change);
        assertThat(datagram).hasSize(HintCodec.LENGTH);
        assertThat(HintCodec.decode(ByteBuffer.wrap(datagram))).hasValue(change);
        MailboxChange unknown = new MailboxChange(change.mailbox(), MailboxChange.UNKNOWN_MODSEQ);
        assertThat(HintCodec.decode(ByteBuffer.wrap(HintCodec.encode(unknown)))).hasValue(unknown);
    }

    @Test
    void decodingDoesNotConsumeTheBuffer() {
        ByteBuffer b = ByteBuffer.wrap(HintCodec.encode(change));
        HintCodec.decode(b);
        assertThat(b.remaining()).isEqualTo(HintCodec.LENGTH);
    }

    @Test
    void wrongLengthMagicVersionOrModSeqIsRejected() {
        byte[] good = HintCodec.encode(change);
        assertThat(HintCodec.decode(ByteBuffer.allocate(0))).isEmpty();
        assertThat(HintCodec.decode(ByteBuffer.wrap(good, 0, HintCodec.LENGTH - 1))).isEmpty();
        assertThat(HintCodec.decode(ByteBuffer.wrap(Arrays.copyOf(good, HintCodec.LENGTH + 1)))).isEmpty();

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThat(HintCodec.decode(ByteBuffer.wrap(magic))).isEmpty();
        byte[] version = good.clone();
        version[2] = 2;
        assertThat(HintCodec.decode(ByteBuffer.wrap(version))).isEmpty();
        byte[] negative = good.clone();
        negative[19] = (byte) 0x80;
        assertThat(HintCodec.decode(ByteBuffer.wrap(negative))).isEmpty();
    }

    @Test
    void randomOctetsNeverThrow() {
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 3) {
                junk[0] = 'S';
                junk[1] = 'H';
                junk[2] = 1;
            }
            if (HintCodec.decode(ByteBuffer.wrap(junk)).isPresent()) {
                accepted++;
                assertThat(junk).hasSize(HintCodec.LENGTH);
            }
        }
        assertThat(accepted).as("only well-formed 27-octet datagrams decode").isPositive();
    }

    @Test
    void settingsRefuseBadCombinations() {
        assertThat(HintSettings.DISABLED.enabled()).isFalse();
        assertThat(HintSettings.of(7143, "10.0.0.1").enabled()).isTrue();
        assertThatThrownBy(() -> HintSettings.of(7143, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hint address");
        assertThatThrownBy(() -> HintSettings.of(7143, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HintSettings.of(-1, "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HintSettings.of(65_536, "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HintSettings(7143, "10.0.0.1", Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(6), Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TTL");
        assertThatThrownBy(() -> HintSettings.DISABLED.withIdlePollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
