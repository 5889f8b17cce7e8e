// The site's settings, its receipt logo, the printers a report can go to, and the license actions. Nothing
// pushes a settings event, so a save updates the cache (and the header's site info) itself.
import { unwrap, type Schemas } from "@tavolo/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api";
import { keys } from "../../../lib/query-keys";

export type SiteSettings = Schemas["SiteSettingsRead"];
export type SiteSettingsUpdate = Schemas["SiteSettingsUpdate"];
export type LicenseActivate = Schemas["LicenseActivate"];

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => unwrap(api.GET("/api/settings")) });
}

export function usePrinters() {
  return useQuery({ queryKey: keys.printers, queryFn: () => unwrap(api.GET("/api/printers/")) });
}

function useSettingsSaved() {
  const queryClient = useQueryClient();
  return (settings: SiteSettings) => {
    queryClient.setQueryData(keys.settings, settings);
    void queryClient.invalidateQueries({ queryKey: keys.siteInfo });
  };
}

export function useUpdateSettings() {
  const saved = useSettingsSaved();
  return useMutation({
    mutationFn: (body: SiteSettingsUpdate) => unwrap(api.PUT("/api/settings", { body })),
    onSuccess: saved,
  });
}

export function useUploadLogo() {
  const saved = useSettingsSaved();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      // The generated type says `{file: string}`; the browser sends the FormData as multipart with its boundary.
      return unwrap(
        api.PUT("/api/settings/logo", {
          body: form as unknown as Schemas["Body_upload_logo_api_settings_logo_put"],
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
    },
    onSuccess: saved,
  });
}

export function useDeleteLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/settings/logo")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.settings }),
  });
}

export function useActivateLicense() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LicenseActivate) => unwrap(api.POST("/api/license/activate", { body })),
    onSuccess: (license) => queryClient.setQueryData(keys.license, license),
  });
}

export function useSyncLicense() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/license/sync")),
    onSuccess: (license) => queryClient.setQueryData(keys.license, license),
  });
}
