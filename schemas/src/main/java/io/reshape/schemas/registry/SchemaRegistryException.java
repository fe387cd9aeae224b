package io.reshape.schemas.registry;

/**
 * The registry refused a request or could not be reached. {@link #status()} is the HTTP status (0
 * when no answer came) and {@link #errorCode()} the registry's own error code (e.g. 40403: schema
 * not found, 409: incompatible schema).
 */
public class SchemaRegistryException extends RuntimeException {

  /** Confluent's error code for "schema not found". */
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** Confluent's error code for "subject not found". */
  public static final int SUBJECT_NOT_FOUND = 40401;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.errorCode = 0;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }

  /** True when retrying may help: no answer, a server error, or throttling. */
  public boolean isTransient() {
    return status == 0 || status >= 500 || status == 429;
  }

  /** True when the registry says it has no schema with the requested id. */
  public boolean isSchemaNotFound() {
    return status == 404 && errorCode == SCHEMA_NOT_FOUND;
  }
}
