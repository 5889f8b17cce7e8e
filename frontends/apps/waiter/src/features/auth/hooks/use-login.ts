import { useMutation } from "@tanstack/react-query";
import { signIn } from "../../../lib/session";
import { login } from "../api/auth-api";
import { rememberUsername } from "./use-last-username";

export function useLogin() {
  return useMutation({
    mutationFn: ({ username, pin }: { username: string; pin: string }) => login(username, pin),
    onSuccess: (pair, { username }) => {
      rememberUsername(username.trim());
      signIn(pair);
    },
  });
}
