package io.stratusmail.search.opensearch.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TextCriterionTest {

    @Test
    void headerNeedsAValidFieldName() {
        assertThat(TextCriterion.header("X-Spam-Flag", "yes").fieldName()).contains("X-Spam-Flag");
        assertThatThrownBy(() -> TextCriterion.header("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextCriterion.header("Sub:ject", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextCriterion.header("Sub ject", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextCriterion.header("Sübject", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextCriterion.header("X".repeat(256), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextCriterion(TextCriterion.Key.HEADER, Optional.empty(), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyHeaderTakesAFieldName() {
        assertThatThrownBy(() -> new TextCriterion(TextCriterion.Key.SUBJECT, Optional.of("Subject"), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void searchStringLengthIsBounded() {
        assertThat(TextCriterion.body("x".repeat(TextCriterion.MAX_VALUE)).value()).hasSize(TextCriterion.MAX_VALUE);
        assertThatThrownBy(() -> TextCriterion.body("x".repeat(TextCriterion.MAX_VALUE + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wildcardSyntaxIsEscaped() {
        assertThat(OpenSearchMessageSearch.escape("a*b?c\\d")).isEqualTo("a\\*b\\?c\\\\d");
    }
}
