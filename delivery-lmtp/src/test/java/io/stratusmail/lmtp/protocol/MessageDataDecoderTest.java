package io.stratusmail.lmtp.protocol;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.stratusmail.lmtp.protocol.LmtpFrame.MessageData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The DATA state machine on its own, fed in every possible split of the wire octets. */
class MessageDataDecoderTest {

    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private record Result(MessageData data, String rest) {
    }

    /** Decodes {@code wire} in two chunks split at {@code split}. */
    private static Result decode(String wire, int split, int maxSize, int maxLine) {
        return decode(wire, split, maxSize, maxLine, false);
    }

    private static Result decode(String wire, int split, int maxSize, int maxLine, boolean strict) {
        MessageDataDecoder decoder = new MessageDataDecoder(ALLOC, maxSize, maxLine, strict);
        byte[] all = bytes(wire);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(all, 0, split);
        boolean ended = decoder.decode(in);
        if (!ended) {
            in.writeBytes(all, split, all.length - split);
            ended = decoder.decode(in);
        } else {
            in.writeBytes(all, split, all.length - split);
        }
        assertThat(ended).as("end of data found in %s", wire).isTrue();
        return new Result(decoder.finish(), in.toString(StandardCharsets.ISO_8859_1));
    }

    private static void assertEverySplit(String wire, String content, String rest) {
        for (int split = 0; split <= bytes(wire).length; split++) {
            Result r = decode(wire, split, 1 << 20, 1000);
            assertThat(r.data().status()).isEqualTo(MessageData.Status.COMPLETE);
            assertThat(new String(r.data().content(), StandardCharsets.ISO_8859_1)).as("split at %d", split)
                    .isEqualTo(content);
            assertThat(r.data().octets()).isEqualTo(content.length());
            assertThat(r.rest()).as("split at %d", split).isEqualTo(rest);
        }
    }

    @Test
    void endsAtCrLfDotCrLfAndLeavesPipelinedBytes() {
        assertEverySplit("a\r\nb\r\n.\r\nQUIT\r\n", "a\r\nb\r\n", "QUIT\r\n");
    }

    @Test
    void emptyMessage() {
        assertEverySplit(".\r\nNOOP\r\n", "", "NOOP\r\n");
    }

    @Test
    void unstuffsPeriodsAtLineStart() {
        assertEverySplit("..\r\n...x\r\n.y\r\nz.\r\n.\r\n", ".\r\n..x\r\ny\r\nz.\r\n", "");
    }

    @Test
    void onlyCrLfEndsALineSoBareCrAndLfNeverEndTheData() {
        assertEverySplit("a\n.\nb\r.\rc\n.\r\nd\r\r\n.\r\n", "a\n.\nb\r.\rc\n.\r\nd\r\r\n", "");
    }

    @Test
    void periodCrWithoutLfIsStuffingFollowedByText() {
        assertEverySplit(".\r.\r\n.\r\r\n.\r\n", "\r.\r\n\r\r\n", "");
    }

    @Test
    void messageOverTheLimitIsCountedButNotKept() {
        for (int split = 0; split < 20; split++) {
            Result r = decode("0123456789\r\n0123456789\r\n.\r\nNEXT", split, 20, 1000);
            assertThat(r.data().status()).isEqualTo(MessageData.Status.TOO_LARGE);
            assertThat(r.data().content()).isEmpty();
            assertThat(r.data().octets()).isEqualTo(24);
            assertThat(r.rest()).isEqualTo("NEXT");
        }
        assertThat(decode("0123456789\r\n01234567\r\n.\r\n", 5, 22, 1000).data().status())
                .isEqualTo(MessageData.Status.COMPLETE);
    }

    @Test
    void lineOverTheLimitCountsStuffingAndCrLf() {
        String ok = "x".repeat(998) + "\r\n";
        assertThat(decode(ok + ".\r\n", 3, 1 << 20, 1000).data().status()).isEqualTo(MessageData.Status.COMPLETE);
        String stuffedTooLong = "." + ok;
        Result r = decode(stuffedTooLong + ".\r\nNEXT", 500, 1 << 20, 1000);
        assertThat(r.data().status()).isEqualTo(MessageData.Status.LINE_TOO_LONG);
        assertThat(r.rest()).isEqualTo("NEXT");
    }

    @Test
    void strictLineEndingsRefuseEveryBareCrOrLfWhateverTheSplit() {
        for (String wire : new String[] {"a\nb\r\n.\r\nNEXT", "a\rb\r\n.\r\nNEXT", "a\r\r\n.\r\nNEXT",
                ".\rb\r\n.\r\nNEXT", "\n\r\n.\r\nNEXT", "a\r\n.\n\r\n.\r\nNEXT"}) {
            for (int split = 0; split <= bytes(wire).length - 4; split++) {
                Result r = decode(wire, split, 1 << 20, 1000, true);
                assertThat(r.data().status()).as("%s split at %d", wire, split)
                        .isEqualTo(MessageData.Status.BARE_LINE_ENDING);
                assertThat(r.data().content()).isEmpty();
                assertThat(r.rest()).isEqualTo("NEXT");
            }
        }
    }

    @Test
    void strictLineEndingsKeepCrLfMailUnchanged() {
        String wire = "a\r\n..b\r\n\r\n\u00e9\r\n.\r\nNEXT";
        for (int split = 0; split <= bytes(wire).length; split++) {
            Result r = decode(wire, split, 1 << 20, 1000, true);
            assertThat(r.data().status()).isEqualTo(MessageData.Status.COMPLETE);
            assertThat(new String(r.data().content(), StandardCharsets.ISO_8859_1)).isEqualTo("a\r\n.b\r\n\r\n\u00e9\r\n");
            assertThat(r.rest()).isEqualTo("NEXT");
        }
    }

    @Test
    void partialDataIsNotAnEnd() {
        MessageDataDecoder decoder = new MessageDataDecoder(ALLOC, 1 << 20, 1000);
        ByteBuf in = Unpooled.copiedBuffer(bytes("a\r\n.\r"));
        assertThat(decoder.decode(in)).isFalse();
        decoder.release();
    }
}
