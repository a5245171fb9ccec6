package io.stratusmail.search.opensearch.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SearchTextTest {

    @Test
    void whitespaceRunsAndLineBreaksBecomeOneSpace() {
        assertThat(SearchText.normalize("  Hello,\r\n\tworld \u00a0 again\u0000end  ")).isEqualTo("Hello, world again end");
    }

    @Test
    void decomposedAccentsAreComposed() {
        assertThat(SearchText.normalize("Cafe\u0301")).isEqualTo("Caf\u00e9");
    }

    @Test
    void caseIsKeptForTheIndexNormalizerToFold() {
        assertThat(SearchText.normalize("MiXeD")).isEqualTo("MiXeD");
    }

    @Test
    void truncateNeverSplitsASurrogatePair() {
        String text = "ab\uD83D\uDE00cd"; // U+1F600 between ab and cd

        assertThat(SearchText.truncate(text, 3)).isEqualTo("ab");
        assertThat(SearchText.truncate(text, 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(SearchText.truncate(text, 100)).isSameAs(text);
    }

    @Test
    void incompleteTrailingUtf8SequenceIsDropped() {
        byte[] octets = "aü€".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 octets

        assertThat(LenientCharsets.completeUtf8Length(octets, 6)).isEqualTo(6);
        assertThat(LenientCharsets.completeUtf8Length(octets, 5)).isEqualTo(3);
        assertThat(LenientCharsets.completeUtf8Length(octets, 4)).isEqualTo(3);
        assertThat(LenientCharsets.completeUtf8Length(octets, 2)).isEqualTo(1);
        assertThat(LenientCharsets.completeUtf8Length(octets, 1)).isEqualTo(1);
    }
}
