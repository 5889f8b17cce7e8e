import { useMutation } from "@tanstack/react-query";
import { signIn } from "../../../lib/session";
import { login } from "../api/auth-api";

export function useLogin() {
  return useMutation({
    mutationFn: ({ username, pin }: { username: string; pin: string }) => login(username, pin),
    onSuccess: signIn,
  });
}
