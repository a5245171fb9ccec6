package io.stratusmail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** sequence-set (RFC 3501 section 9). */
class SequenceSetTest {

    @Test
    void rangesAreSortedMergedAndEitherOrder() throws Exception {
        assertThat(SequenceSet.parse("4:2").ranges(10)).containsExactly(2, 4);
        assertThat(SequenceSet.parse("*:1").ranges(7)).containsExactly(1, 7);
        assertThat(SequenceSet.parse("1:*").ranges(7)).containsExactly(1, 7);
        assertThat(SequenceSet.parse("9,1:3,2,4,7:8").ranges(20)).containsExactly(1, 4, 7, 9);
        assertThat(SequenceSet.parse("*").ranges(5)).containsExactly(5, 5);
        assertThat(SequenceSet.parse("4294967295").ranges(1)).containsExactly(4294967295L, 4294967295L);
        assertThat(SequenceSet.parse("559:*").ranges(100)).containsExactly(100, 559);
    }

    @Test
    void maxAndStar() throws Exception {
        assertThat(SequenceSet.parse("1,5:3").max(10)).isEqualTo(5);
        assertThat(SequenceSet.parse("1:*").max(10)).isEqualTo(10);
        assertThat(SequenceSet.parse("1:*").usesStar()).isTrue();
        assertThat(SequenceSet.parse("2:4,7").toString()).isEqualTo("2:4,7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1:0", "01", "1,,2", "1:", ":3", "4294967296", "a", "1:2:3", ""})
    void rejectsInvalidSets(String text) {
        assertThatThrownBy(() -> SequenceSet.parse(text)).isInstanceOf(ParseException.class);
    }
}
