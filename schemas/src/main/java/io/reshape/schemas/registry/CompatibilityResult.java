package io.reshape.schemas.registry;

import java.util.List;

/** The registry's answer to "may this schema become the next version of the subject?". */
public record CompatibilityResult(boolean compatible, List<String> messages) {}
