import { useMutation } from "@tanstack/react-query";
import { signIn } from "../../../lib/session";
import { login } from "../api/auth-api";

export function useLogin() {
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => login(username, password),
    onSuccess: signIn,
  });
}
