export { SoundControl } from "./components/sound-control";
