package io.reshape.local.cli;

import io.reshape.local.recording.ReplaySpeed;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --speed}: 1, 10, 0.5 or max. */
public final class ReplaySpeedConverter implements ITypeConverter<ReplaySpeed> {

  @Override
  public ReplaySpeed convert(String value) {
    try {
      return ReplaySpeed.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
