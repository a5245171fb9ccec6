package io.stratusmail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.stratusmail.imap.response.ContinuationRequest;
import io.stratusmail.imap.response.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing of lines and literals (RFC 3501 section 2.2, 4.3; RFC 7888), fed in arbitrary chunks. */
class ImapFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ImapFrameDecoder(1024, 100, 4096));

    private void feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
    }

    private List<Object> frames() {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static String text(CommandFrame f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.lines().size(); i++) {
            sb.append(new String(f.lines().get(i), StandardCharsets.ISO_8859_1));
            if (i < f.literals().size()) {
                sb.append('|').append(new String(f.literals().get(i), StandardCharsets.ISO_8859_1)).append('|');
            }
        }
        return sb.toString();
    }

    private int continuations() {
        int n = 0;
        Object o;
        while ((o = channel.readOutbound()) != null) {
            assertThat(o).isEqualTo(new ContinuationRequest("Ready for literal data"));
            n++;
        }
        return n;
    }

    @Test
    void bufferedInputIsVisibleForTheStartTlsCheck() {
        ImapFrameDecoder framer = channel.pipeline().get(ImapFrameDecoder.class);
        feed("a1 STARTTLS\r\n");
        assertThat(framer.hasBufferedInput()).isFalse();
        feed("a2 NO");
        assertThat(framer.hasBufferedInput()).isTrue();
        feed("OP\r\na3 LOGIN {3}\r\n");
        assertThat(framer.hasBufferedInput()).as("inside a literal").isTrue();
        feed("abc\r\n");
        assertThat(framer.hasBufferedInput()).isFalse();
        assertThat(frames()).hasSize(3);
    }

    @Test
    void linesInPiecesWithCrlfOrBareLf() {
        feed("a1 NO", "OP\r", "\na2 CAPA", "BILITY\n");
        assertThat(frames()).extracting(f -> text((CommandFrame) f)).containsExactly("a1 NOOP", "a2 CAPABILITY");
    }

    @Test
    void literalsSplitAcrossReads() {
        feed("a LOGIN {3}\r\n");
        assertThat(continuations()).isEqualTo(1);
        feed("b", "o", "b {0}\r\n");
        assertThat(continuations()).isEqualTo(1);
        feed(" x {2+}\r\n\r\n\r\n");
        assertThat(continuations()).isZero();
        assertThat(frames()).extracting(f -> text((CommandFrame) f))
                .containsExactly("a LOGIN {3}|bob| {0}|| x {2+}|\r\n|");
    }

    @Test
    void tooBigSynchronizingLiteralIsRefusedWithoutContinuation() {
        feed("t1 LOGIN {101}\r\nt2 NOOP\r\n");
        assertThat(continuations()).isZero();
        List<Object> out = frames();
        assertThat(out.get(0)).isEqualTo(new FrameError("t1", ResponseCode.TOOBIG,
                "Literal of 101 octets refused (limit 100 octets)", "LOGIN"));
        assertThat(text((CommandFrame) out.get(1))).isEqualTo("t2 NOOP");
    }

    @Test
    void tooBigNonSynchronizingLiteralIsSkippedWithTheRestOfItsCommand() {
        feed("t1 X {150+}\r\n", "z".repeat(150) + " {3+}\r\nabc rest\r\nt2 NOOP\r\n");
        List<Object> out = frames();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new FrameError("t1", ResponseCode.TOOBIG,
                "Literal of 150 octets refused (limit 100 octets)", "X"));
        assertThat(text((CommandFrame) out.get(1))).isEqualTo("t2 NOOP");
    }

    @Test
    void overLongLineIsDiscardedIncludingItsNonSynchronizingLiteral() {
        feed("t1 " + "a".repeat(2000), "b".repeat(10) + " {5+}\r\n", "\r\n\r\nX\r\nt2 NOOP\r\n");
        List<Object> out = frames();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new FrameError("t1", null, "Line too long (limit 1024 octets)", null));
        assertThat(text((CommandFrame) out.get(1))).isEqualTo("t2 NOOP");
    }

    @Test
    void commandTooLongAcrossLiterals() {
        StringBuilder sb = new StringBuilder("t1 X");
        for (int i = 0; i < 60; i++) {
            sb.append(" {90+}\r\n").append("q".repeat(90));
        }
        feed(sb.append("\r\nt2 NOOP\r\n").toString());
        List<Object> out = frames();
        assertThat(out).hasSize(2);
        assertThat(((FrameError) out.get(0)).code()).isEqualTo(ResponseCode.TOOBIG);
        assertThat(text((CommandFrame) out.get(1))).isEqualTo("t2 NOOP");
    }

    @Test
    void pauseHoldsFramesUntilResume() {
        ImapFrameDecoder framer = channel.pipeline().get(ImapFrameDecoder.class);
        framer.pause();
        feed("a NOOP\r\nb NOOP\r\n");
        assertThat(frames()).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse();
        framer.resume();
        assertThat(frames()).hasSize(2);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void closeReleasesThePartialCommand() {
        feed("a LOGIN {50}\r\n", "partial");
        assertThat(continuations()).isEqualTo(1);
        channel.close();
        assertThat(frames()).isEmpty();
        assertThat(channel.finish()).isFalse();
    }
}
