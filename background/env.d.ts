/** Build-time variables the service worker reads (see background/union-settings.ts). */
interface ImportMetaEnv {
  readonly VITE_UNION_URL?: string;
  readonly VITE_CHAIN_ID?: string;
  readonly VITE_DATA_UNION_ADDRESS?: string;
  readonly VITE_ADMIN_ADDRESS?: string;
  readonly VITE_APP_SECRET?: string;
  /** The DAP leader's URL when it is not under the union's origin (a host permission only). */
  readonly VITE_LEADER_URL?: string;
}
