/**
 * What a module's error report may say went wrong on a visitor's page (POST /api/v1/modules/{name}/errors):
 * `load` (its bundle or stylesheet did not load: missing, not parsing, not matching its integrity, no lifecycles),
 * `bootstrap`, `mount`, `update`, `unmount` (that lifecycle threw), `render` (its error boundary caught one),
 * `timeout` (single-spa gave a lifecycle up past its time). The shell reports the first and the last; the kit's
 * adapter the others, from inside the module.
 */
export const MODULE_ERROR_KINDS = ['load', 'bootstrap', 'mount', 'update', 'unmount', 'render', 'timeout'] as const;
export type ModuleErrorKind = (typeof MODULE_ERROR_KINDS)[number];
