package io.stratusmail.lmtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderSectionTest {

    private static boolean eightBit(String latin1, int pieceSize) {
        HeaderSection header = new HeaderSection();
        ByteBuf buf = Unpooled.wrappedBuffer(latin1.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < buf.writerIndex(); i += pieceSize) {
            header.update(buf, i, Math.min(pieceSize, buf.writerIndex() - i));
        }
        return header.eightBit();
    }

    @Test
    void anEightBitOctetBeforeTheEmptyLineCounts() {
        assertThat(eightBit("Subject: caf\u00e9\r\n\r\nbody\r\n", 1000)).isTrue();
        assertThat(eightBit("Subject: caf\u00e9\r\n\r\nbody\r\n", 1)).isTrue();
    }

    @Test
    void eightBitOctetsAfterTheHeaderSectionDoNot() {
        assertThat(eightBit("Subject: cafe\r\n\r\ncaf\u00e9\r\n", 1000)).isFalse();
        assertThat(eightBit("Subject: cafe\r\n\r\ncaf\u00e9\r\n", 3)).isFalse();
        // lenient line endings: a bare LF LF also ends the header section
        assertThat(eightBit("Subject: cafe\n\ncaf\u00e9\n", 1)).isFalse();
    }

    @Test
    void aCarriageReturnAloneInAHeaderLineDoesNotEndTheSection() {
        assertThat(eightBit("Subject: a\r\rb\r\nX: \u00e9\r\n\r\n", 2)).isTrue();
    }
}
