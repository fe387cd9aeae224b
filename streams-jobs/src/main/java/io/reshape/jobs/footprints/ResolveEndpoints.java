package io.reshape.jobs.footprints;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns traffic samples into signals for the VMs involved. A flow's destination address is looked
 * up in the fleet's addresses (the broadcast inventory); an address no VM has, more than one VM
 * has, or the sender itself has stays an endpoint. A flow between two VMs becomes two signals, one for the sender and one for the
 * receiver, because each VM's footprint counts both directions. A NIC sample becomes the sender's
 * total. An address resolves by the inventory as it stands when the sample arrives.
 */
public class ResolveEndpoints extends BroadcastProcessFunction<TrafficSample, VmAddresses, VmSignal> {

  private static final long serialVersionUID = 1L;

  /** The fleet's VMs by id: what survives a restart. */
  public static final MapStateDescriptor<String, VmAddresses> FLEET =
      new MapStateDescriptor<>("fleet-addresses", Types.STRING, TypeInformation.of(VmAddresses.class));

  /** The same by address, built from {@link #FLEET} on first use after a start or a restore. */
  private transient AddressBook book;

  @Override
  public void processElement(TrafficSample sample, ReadOnlyContext ctx, Collector<VmSignal> out) throws Exception {
    if (sample.getScope() == TrafficScope.NIC) {
      out.collect(VmSignal.sentInTotal(sample));
      return;
    }
    String src = sample.getSrcVmId();
    if (sample.getDstVmId() != null) {
      // The collector knows only the VMs of its own host.
      out.collect(VmSignal.sent(sample, sample.getDstVmId(), true));
      out.collect(VmSignal.received(sample, sample.getDstVmId(), sample.getHostId()));
      return;
    }
    VmAddresses owner = book(ctx.getBroadcastState(FLEET)).ownerOf(sample.getDstEndpoint());
    if (owner == null || owner.vmId.equals(src)) {
      out.collect(VmSignal.sent(sample, sample.getDstEndpoint(), false));
      return;
    }
    out.collect(VmSignal.sent(sample, owner.vmId, true));
    out.collect(VmSignal.received(sample, owner.vmId, owner.hostId));
  }

  @Override
  public void processBroadcastElement(VmAddresses vm, Context ctx, Collector<VmSignal> out) throws Exception {
    BroadcastState<String, VmAddresses> fleet = ctx.getBroadcastState(FLEET);
    AddressBook addresses = book(fleet);
    if (vm.present) {
      fleet.put(vm.vmId, vm);
      addresses.put(vm);
    } else {
      fleet.remove(vm.vmId);
      addresses.remove(vm.vmId);
    }
  }

  private AddressBook book(ReadOnlyBroadcastState<String, VmAddresses> fleet) throws Exception {
    if (book == null) {
      book = new AddressBook();
      for (Map.Entry<String, VmAddresses> vm : fleet.immutableEntries()) {
        book.put(vm.getValue());
      }
    }
    return book;
  }
}
