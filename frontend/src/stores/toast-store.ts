import { create } from 'zustand';

export type ToastTone = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  /** Already translated: the store does not know about languages. */
  message: string;
}

interface ToastState {
  toasts: Toast[];
  show: (tone: ToastTone, message: string) => number;
  dismiss: (id: number) => void;
}

/** Errors stay longer: people need time to read what went wrong. */
export const TOAST_DURATION_MS: Record<ToastTone, number> = { success: 4000, info: 4000, error: 8000 };

let nextId = 1;

/** Toasts are one of the few global states (style.md); any screen can announce an outcome. */
export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  show: (tone, message) => {
    const id = nextId++;
    set({ toasts: [...get().toasts, { id, tone, message }] });
    setTimeout(() => get().dismiss(id), TOAST_DURATION_MS[tone]);
    return id;
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((toast) => toast.id !== id) }),
}));

/** For event handlers outside React's render: `toast.success(t('…'))`. */
export const toast = {
  success: (message: string) => useToastStore.getState().show('success', message),
  error: (message: string) => useToastStore.getState().show('error', message),
  info: (message: string) => useToastStore.getState().show('info', message),
};
