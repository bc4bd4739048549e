package dev.floe.catalog.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.exceptions.BadRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageLocationTest {

    @ParameterizedTest
    @CsvSource({
        "file:///wh, file:/wh/ns/t",
        "file:/wh, /wh/ns/t",
        "file:///wh/, FILE:///wh/ns/t/",
        "s3://bucket/wh, S3A://bucket/wh/ns/t",
        "s3://bucket/wh, s3n://bucket/wh/ns",
        "s3://bucket/wh, s3://bucket/wh",
        "s3://bucket/wh, s3://bucket/wh/a%20b",
        "abfss://c@acct.dfs.core.windows.net/wh, abfs://c@acct.dfs.core.windows.net/wh/t"
    })
    void containsEquivalentSpellingsOfLocationsUnderIt(String root, String location) {
        assertThat(StorageLocation.parse(root).contains(StorageLocation.parse(location)))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "file:///wh, file:///wh2/t",
        "file:///wh, file:///w",
        "s3://bucket/wh, s3://bucket/whx/t",
        "s3://bucket/wh, s3://other/wh/t",
        "s3://bucket/wh, s3://BUCKET/wh/t",
        "s3://bucket/wh, s3://bucket/WH/t",
        "s3://bucket/wh, gs://bucket/wh/t",
        "file:///wh, s3://wh/t",
        // raw and decoded readings must both be inside: a FileIO takes 'a%20b' literally
        "file:///wh/a b, file:///wh/a%20b/t"
    })
    void doesNotContainLocationsElsewhere(String root, String location) {
        assertThat(StorageLocation.parse(root).contains(StorageLocation.parse(location)))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "relative/path",
                "file:///wh/../etc",
                "file:///wh/./t",
                "file:////etc",
                "file:///wh//t",
                "file://host/wh",
                "s3://bucket/wh/%2e%2e/x",
                "s3://bucket/wh/a%2Fb",
                "s3://bucket/wh/%252e%252e/x",
                "s3://bucket/wh/%zz",
                "s3:///wh",
                "s3:bucket/wh",
                "s3://bucket/wh?x",
                "s3://bucket/wh#frag",
                "s3://bucket\\wh",
                "s3://bucket/wh\u0000x",
                "ftp://host/x",
                "s3://us@er:pw/x"
            })
    void refusesLocationsThatCanBeReadTwoWays(String location) {
        assertThatThrownBy(() -> StorageLocation.parse(location)).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "s3://b/wh/t, s3://b/wh/t/x, true",
        "s3://b/wh/t/x, s3://b/wh/t, true",
        "s3://b/wh/t, s3://b/wh/t, true",
        "s3://b/wh/t, s3://b/wh/tt, false",
        "s3://b/wh/t, s3://b/wh/u, false"
    })
    void overlapsInEitherDirectionOnWholeSegments(String a, String b, boolean overlaps) {
        assertThat(StorageLocation.parse(a).overlaps(StorageLocation.parse(b))).isEqualTo(overlaps);
        assertThat(StorageLocation.parse(b).overlaps(StorageLocation.parse(a))).isEqualTo(overlaps);
    }
}
